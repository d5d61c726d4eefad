// The one script of the web page: filters apply as soon as they change (without it, the
// "Apply filters" button does the same). No crawled text ever reaches a script.
document.addEventListener("change", (event) => {
  const control = event.target;
  if (control instanceof HTMLElement && control.hasAttribute("data-autosubmit") && control.form) {
    control.form.requestSubmit();
  }
});

"""policy-radar: regulatory and stakeholder intelligence for Asia-Pacific Trust & Safety teams."""

# syntax=docker/dockerfile:1
# policy-radar's image: `radar serve` by default; `radar scheduler`, `radar reindex` and `radar users`
# run from the same image (docker-compose.yml). Build: docker build -t policy-radar .

# --- wheels: every locked dependency, hash-checked, and the project's own wheel ------------------------------
FROM python:3.11-slim AS wheels
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY requirements.lock ./
# requirements.lock is one lock for the runtime and the dev tools (pytest, mypy, playwright...). Rather
# than a second lock to keep in step, every file it names is fetched and checked against its hash here
# (feedgen, which ships only a source archive, is built into a wheel), and the final stage installs from
# these wheels alone: pip resolves only what the project needs at runtime, and finds exactly the locked
# version of each, hash-checked, with no index to pick anything else from.
RUN pip wheel --require-hashes --no-deps -r requirements.lock --wheel-dir /wheels
COPY . .
# Built with --no-index too, so its build backend is the locked, hash-checked setuptools.
RUN pip wheel --no-deps --no-index --find-links /wheels --wheel-dir /wheels .

# --- the image --------------------------------------------------------------------------------------------------
FROM python:3.11-slim
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONUNBUFFERED=1

# Briefing PDFs embed system fonts (briefings/pdf.py): DejaVu for Latin, Vietnamese and the rest,
# Noto CJK for Chinese, Japanese and Korean, Loma for Thai; without them a PDF says what it cannot show.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core fonts-noto-cjk fonts-tlwg-loma-ttf \
    && rm -rf /var/lib/apt/lists/*

# The project and its runtime dependencies (not the dev tools), from the hash-checked wheels of the
# first stage; mounted rather than copied, so they take no layer of this image. The locked pip goes
# first: an older one (the base image's) misses that justext's lxml[html_clean] is lxml's
# `html-clean` extra (PEP 685 names) and leaves out lxml_html_clean, which article extraction imports.
RUN --mount=type=bind,from=wheels,source=/wheels,target=/wheels \
    pip install --no-index --find-links /wheels --upgrade pip \
    && pip install --no-index --find-links /wheels policy-radar

# A user of its own: nothing the tracker crawls or serves runs as root. A home directory, because
# libraries keep small caches there (tldextract's public suffix list).
RUN useradd --create-home --user-group --uid 10001 radar \
    && mkdir /data && chown radar:radar /data
# The embedded default's SQLite store and tantivy index; at scale (PostgreSQL and Elasticsearch) only
# scratch files, but the same place.
ENV RADAR_DATA_DIR=/data
VOLUME /data
USER radar
WORKDIR /home/radar

EXPOSE 8000
# urllib rather than curl: the slim image has no curl, and python is here anyway. urlopen raises
# (exit status 1) on anything but a 2xx answer.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]
# On 0.0.0.0 radar serve refuses to start until an account exists: see "Running at scale" in README.md.
CMD ["radar", "serve", "--host", "0.0.0.0"]

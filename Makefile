# make build  : set up (system packages, .venv) when missing, then build site/
# make test   : the test suite (small model profile; Chromium, ffmpeg and axe-core installed when missing)
# make serve  : preview server with live reload (drafts included)
PY       := .venv/bin/python
BUILD_PKGS := pkg-config libcairo2-dev libpango1.0-dev ffmpeg fonts-dejavu-core
TEST_PKGS  := chromium ffmpeg
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: build test serve claims clean setup

build: .venv/.installed
	@$(PY) -m pipeline build

.venv/.installed: requirements.txt pipeline/setup.sh
	@bash pipeline/setup.sh system $(BUILD_PKGS)
	@bash pipeline/setup.sh venv
	@touch $@

.venv/.test-installed: .venv/.installed
	@bash pipeline/setup.sh system $(TEST_PKGS)
	@touch $@

setup: .venv/.installed

test: .venv/.test-installed bench/node_modules/.installed
	@$(PY) -m pytest -q tests

claims: .venv/.installed
	@$(PY) -m pipeline claims

serve: .venv/.installed
	@$(PY) -m pipeline serve

clean:
	rm -rf .cache site

# make bench  : build timings, transfer sizes, slider latency, screenshots -> bench/results/latest.{json,md}
#               (make bench BENCH_FLAGS=--cold starts from an empty cache)
# make audit  : Lighthouse (mobile) and axe-core on the built site; fails under the thresholds of issue 7
.PHONY: bench audit

bench: .venv/.test-installed
	@$(PY) -m bench $(BENCH_FLAGS)

audit: .venv/.test-installed bench/node_modules/.installed
	@$(PY) -m bench.audit

bench/node_modules/.installed: bench/package.json bench/package-lock.json
	@command -v npm >/dev/null || bash pipeline/setup.sh system nodejs npm
	@cd bench && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

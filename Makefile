# make build  : set up (system packages, .venv) when missing, then build site/
# make test   : the test suite (small model profile; Chromium installed when missing)
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

test: .venv/.test-installed
	@$(PY) -m pytest -q tests

claims: .venv/.installed
	@$(PY) -m pipeline claims

serve: .venv/.installed
	@$(PY) -m pipeline serve

clean:
	rm -rf .cache site

# Set-up and everyday commands. Each target creates the virtual environment it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := out

.PHONY: demo test vba vba-check bench hostile officer templates docs clean

$(BIN)/odplan-xl: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

## demo: template -> example plan -> check -> Gantt -> Word (and PDF when LibreOffice is installed)
demo: $(BIN)/odplan-xl
	mkdir -p $(OUT)
	$(BIN)/odplan-xl new $(OUT)/template.xlsm --force
	$(BIN)/odplan-xl example $(OUT)/example_plan.xlsx --force
	-$(BIN)/odplan-xl check $(OUT)/example_plan.xlsx
	$(BIN)/odplan-xl gantt $(OUT)/example_plan.xlsx -o $(OUT)/example_plan_gantt.xlsx --force
	$(BIN)/odplan-xl convert $(OUT)/example_plan.xlsx -o $(OUT)/example_plan.docx --force $$(command -v soffice >/dev/null && echo --pdf)
	@echo "demo outputs in $(OUT)/"

## test: the whole test suite
test: $(BIN)/odplan-xl
	$(BIN)/python -m pytest -q

## vba: rebuild odplan_xl/vba/vbaProject.bin from macros/
vba: $(BIN)/odplan-xl
	$(BIN)/python -m tools.vba_build

## vba-check: fail when the committed vbaProject.bin is out of date with macros/
vba-check: $(BIN)/odplan-xl
	$(BIN)/python -m tools.vba_build --check

## templates: regenerate the committed workbooks under workbook_template/
templates: $(BIN)/odplan-xl
	$(BIN)/python -m odplan_xl.app.workbooks workbook_template

## docs: regenerate docs/codes.md and docs/errors.md from the code
docs: $(BIN)/odplan-xl
	$(BIN)/odplan-xl codes > docs/codes.md
	$(BIN)/odplan-xl errors > docs/errors.md

## bench: whole processes per command and plan size against floors (prints tables); national against batch
bench: $(BIN)/odplan-xl
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/bench_national.py

## hostile: build the corpus of hostile workbooks and run the checker on each (prints a table)
hostile: $(BIN)/odplan-xl
	$(BIN)/python tests/hostile.py $(OUT)/hostile

## officer: build the corpus of officer-filled workbooks; one line per case (typed / shown / reported / lost)
officer: $(BIN)/odplan-xl
	$(BIN)/python tests/officer.py $(OUT)/officer

clean:
	rm -rf $(OUT) .pytest_cache

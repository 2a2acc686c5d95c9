"""The template's rules: the checker (`check_plan`) and the Report it returns (findings and their codes live below, in `odplan_xl.findings` and `odplan_xl.codes`)."""

"""JUnit XML: one test suite per workspace file, one test case per finding, for the test
reports of CI systems. A finding at or above the run's fail level is a failure; one below it
(a warning when only errors fail) is a test that passes, with its message in its output."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from mcplan.findings import Finding, Level
from mcplan.lint.engine import LintResult

# Characters XML 1.0 cannot hold even escaped: a message quoting a control character would
# otherwise make the whole report unparsable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def emit(result: LintResult) -> str:
    by_file: dict[str, list[Finding]] = {file: [] for file in result.files}
    for finding in result.findings:
        by_file.setdefault(finding.location.file, []).append(finding)
    suites = ET.Element("testsuites", name="mcplan lint")
    total_tests = total_failures = 0
    for file in sorted(by_file):
        suite = ET.SubElement(suites, "testsuite", name=_xml(file))
        group = by_file[file]
        failures = sum(1 for f in group if _fails(f, result.fail_level))
        _counted(suite, max(len(group), 1), failures)
        total_tests += max(len(group), 1)
        total_failures += failures
        if not group:
            ET.SubElement(suite, "testcase", classname=_xml(file), name="mcplan lint")
        for finding in group:
            _case(suite, file, finding, _fails(finding, result.fail_level))
    _counted(suites, total_tests, total_failures)
    ET.indent(suites)
    document: bytes = ET.tostring(suites, encoding="utf-8", xml_declaration=True)
    return document.decode("utf-8") + "\n"


def _fails(finding: Finding, level: Level | None) -> bool:
    return level is not None and finding.level >= level


def _case(suite: ET.Element, file: str, finding: Finding, fails: bool) -> None:
    name = f"{finding.rule} line {finding.location.line}"
    case = ET.SubElement(suite, "testcase", classname=_xml(file), name=name)
    details = [str(finding), *(f"{r.location}: {r.label}" for r in finding.related)]
    if finding.hint:
        details.append(f"hint: {finding.hint}")
    text = _xml("\n".join(details))
    if fails:
        failure = ET.SubElement(
            case, "failure", type=str(finding.level), message=_xml(finding.message)
        )
        failure.text = text
    else:
        ET.SubElement(case, "system-out").text = text


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _counted(element: ET.Element, tests: int, failures: int) -> None:
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", "0")
    element.set("skipped", "0")

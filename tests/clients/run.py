"""Runs every test_*.py here with unittest and closes with libtest's summary line, which the test
command counts: `test result: ok. N passed; M failed`."""

import pathlib
import sys
import unittest

here = pathlib.Path(__file__).resolve().parent
suite = unittest.defaultTestLoader.discover(str(here), pattern="test_*.py", top_level_dir=str(here))
result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
failed = len(result.failures) + len(result.errors)
passed = result.testsRun - failed - len(result.skipped)
print(f"test result: {'ok' if failed == 0 else 'FAILED'}. {passed} passed; {failed} failed")
sys.exit(0 if failed == 0 and passed > 0 else 1)

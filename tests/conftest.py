import sys
from pathlib import Path

# Test helpers (builders.py) are imported as plain modules.
sys.path.insert(0, str(Path(__file__).parent))

# The remote-engine Book maker, shared by the Excel and xlwings Lite doors' tests.
from remote_books import remote  # noqa: F401

import sys

from dctheory.cli import main

sys.exit(main())

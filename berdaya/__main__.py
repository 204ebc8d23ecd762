import sys

from berdaya.cli import main

sys.exit(main())

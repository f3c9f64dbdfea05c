import sys

from d2lmomentum.cli import main

sys.exit(main())

import sys

from ingest.refresh import main

sys.exit(main())

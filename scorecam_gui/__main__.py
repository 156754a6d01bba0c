"""`python -m scorecam_gui` starts Score-CAM Studio (the same as `scorecam-gui`)."""

import sys

from scorecam_gui.gui.startup.main import main

if __name__ == "__main__":
    sys.exit(main())

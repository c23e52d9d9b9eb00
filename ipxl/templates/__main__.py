from .bundled import main

raise SystemExit(main())

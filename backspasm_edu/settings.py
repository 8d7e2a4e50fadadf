"""The one home of settings: environment variables serve passes to kernels, defaults, limits."""

CONTENT_ENV = "BACKSPASM_EDU_CONTENT"
"""An instructor's own content folder, checked by serve and read by the loader in each kernel."""

PROGRESS_ENV = "BACKSPASM_EDU_PROGRESS"
"""Where learners' progress is kept: a store file, or a folder for one."""

INSTRUCTOR_KEY_ENV = "BACKSPASM_EDU_INSTRUCTOR_KEY"
"""The key that opens the class results page; serve makes a new one at each start."""

DEFAULT_HOST = "127.0.0.1"
"""The address serve listens on unless told otherwise: this computer only."""

DEFAULT_PORT = 8866
"""The port serve listens on unless told otherwise (Voila's own default)."""

CULL_IDLE_TIMEOUT = 300
"""Seconds a kernel may sit idle with no page connected before serve shuts it down."""

CULL_INTERVAL = 60
"""Seconds between two checks for idle kernels."""

MAX_PREHEAT_KERNELS = 20
"""Preheated kernels per app at most: each idles at about 45 MiB until a page takes it."""

MAX_NAME_LENGTH = 60
"""A person's name, as a learner or on a plan, is kept to at most this many characters."""

BROWSER_HEADER = "X-Backspasm-Browser"
"""The request header serve sets to each browser's private id (from its signed cookie) for the
kernel; serve replaces any value a browser sends."""

SIGNED_LEARNER_HEADER = "X-Backspasm-Signed-Learner"
"""The request header serve sets to "yes" when the page's ``?learner=`` came with its right
``code`` (the learner's own class link); serve removes any value a browser sends."""

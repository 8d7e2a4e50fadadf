"""The one home of settings: environment variables serve passes to kernels, defaults, limits."""

CONTENT_ENV = "BACKSPASM_EDU_CONTENT"
"""An instructor's own content folder, checked by serve and read by the loader in each kernel."""

PROGRESS_ENV = "BACKSPASM_EDU_PROGRESS"
"""Where learners' progress is kept: a store file, a folder for one, or a ``postgresql://`` URL."""

INSTRUCTOR_KEY_ENV = "BACKSPASM_EDU_INSTRUCTOR_KEY"
"""The key that opens the class results page; serve makes a new one at each start unless given
(this variable, or --instructor-key-file), and passes it to no kernel's environment."""

INSTRUCTOR_KEY_HEADER = "X-Backspasm-Instructor-Key"
"""The request header serve sets to the instructor key on a class results page whose ``?key=``
it has checked (removed from every other request): Voila gives it to that page's kernel alone,
as $HTTP_X_BACKSPASM_INSTRUCTOR_KEY."""

SINGLE_USER_ENV = "BACKSPASM_EDU_SINGLE_USER"
"""Set to 1 to open class results with no instructor key, for one person on their own machine."""

DEFAULT_HOST = "127.0.0.1"
"""The address serve listens on unless told otherwise: this computer only."""

DEFAULT_PORT = 8866
"""The port serve listens on unless told otherwise (Voila's own default)."""

CULL_IDLE_TIMEOUT = 300
"""Seconds a kernel may sit idle with no page connected before serve shuts it down."""

CULL_INTERVAL = 15
"""Seconds between two checks for idle kernels: often enough that a kernel whose page never
connected goes within about CULL_UNCONNECTED_TIMEOUT + 15 s."""

CULL_UNCONNECTED_TIMEOUT = 60
"""Seconds a kernel whose page never connected (a plain GET, no browser) lives once idle."""

KERNEL_MEMORY_ESTIMATE_MIB = 150
"""Memory one app page's kernel may come to hold, for the default --max-kernels."""

SERVER_MEMORY_RESERVE_MIB = 512
"""Memory kept for the server and the rest of the machine, for the default --max-kernels."""

MIN_MAX_KERNELS = 4
"""The default --max-kernels is never below this, however little memory is free."""

PAGES_PER_MINUTE = 30
"""New app pages one client address may open per minute (each starts a kernel)."""

RETRY_AFTER_SECONDS = 60
"""What a "class is full" or "too many pages" answer tells the browser to wait."""

KERNEL_MEMORY_LIMIT_MIB = 1536
"""The address space one kernel may take (RLIMIT_AS) before it gets a MemoryError."""

MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024
"""The largest HTTP request body serve accepts; the apps send none this big."""

MAX_WEBSOCKET_MESSAGE_BYTES = 4 * 1024 * 1024
"""The largest message a page may send its kernel (a file upload travels in one)."""

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

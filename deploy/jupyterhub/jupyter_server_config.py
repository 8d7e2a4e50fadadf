"""Each student's single-user server: the packaged apps, rendered by Voila as serve renders them."""

from backspasm_edu.app.serve import CELL_TIMEOUT, LAB_EXTENSIONS, REMOVE_TAG, notebooks_dir
from backspasm_edu.settings import CULL_IDLE_TIMEOUT, CULL_INTERVAL

c = get_config()  # noqa: F821 (Jupyter's config loader provides it)

c.ServerApp.jpserver_extensions.update({"voila": True})
c.ServerApp.root_dir = str(notebooks_dir())
c.VoilaConfiguration.strip_sources = True
c.VoilaConfiguration.show_tracebacks = False
c.VoilaConfiguration.extension_allowlist = list(LAB_EXTENSIONS)
c.VoilaExecutor.timeout = CELL_TIMEOUT
c.TagRemovePreprocessor.enabled = True
c.TagRemovePreprocessor.remove_cell_tags = [REMOVE_TAG]
c.MappingKernelManager.cull_idle_timeout = CULL_IDLE_TIMEOUT
c.MappingKernelManager.cull_interval = CULL_INTERVAL
c.MappingKernelManager.cull_connected = False

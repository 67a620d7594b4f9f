"""Not a test: run by the prefix's Windows CPython in a terminal tab of the exe under Wine.

`python process_tree.py DEPTH TAG` starts a chain of DEPTH more processes below itself
(each runs this file with DEPTH-1), every one sleeping with TAG on its command line, so the
Windows tier can find the whole tree from Linux and check that closing the tab ends it.
"""

import subprocess
import sys
import time

depth, tag = int(sys.argv[1]), sys.argv[2]
if depth > 0:
    subprocess.Popen([sys.executable, __file__, str(depth - 1), tag])
print(f"process tree {tag}: level {depth} running", flush=True)
time.sleep(600)

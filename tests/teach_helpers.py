"""Starting and stopping the classroom server (teach/server.py) for the tests."""
import os
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.abspath(os.environ.get("CLUSTERSIM") or os.path.join(ROOT, "clustersim"))


class Server:
    def __init__(self, *args):
        self.proc = subprocess.Popen(
            ["/usr/bin/python3", os.path.join(ROOT, "teach", "server.py"), "--port", "0",
             "--binary", BIN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first = self.proc.stdout.readline()
        second = self.proc.stdout.readline()
        if "http://127.0.0.1:" not in first:
            self.proc.kill()
            raise RuntimeError("server did not start: " + first + self.proc.stderr.read())
        self.url = first.split()[2]
        self.session = second.split(": ", 1)[1].strip()

    def children(self):
        """Pids of processes whose command line names this server's session folder."""
        found = []
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    cmd = f.read().decode(errors="replace")
            except OSError:
                continue
            if self.session in cmd and int(pid) != self.proc.pid:
                found.append(int(pid))
        return found

    def stop(self):
        """SIGTERM, as Ctrl-C would; returns the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        deadline = time.time() + 5
        while self.children() and time.time() < deadline:
            time.sleep(0.1)
        return self.proc.returncode



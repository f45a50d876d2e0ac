"""Running a command on a pseudo-terminal, for the tests of what is shown only on a terminal
(progress lines, their ETA, how other messages share the screen with them)."""
import os
import pty


def run_on_a_terminal(argv, env, cwd=None):
    """Runs argv with stdout and stderr on a new pseudo-terminal; (exit status, everything it
    wrote, decoded)."""
    pid, fd = pty.fork()
    if pid == 0:
        if cwd:
            os.chdir(cwd)
        os.execve(argv[0], argv, env)
    chunks = []
    while True:
        try:
            b = os.read(fd, 4096)
        except OSError:   # the child closed the terminal
            break
        if not b:
            break
        chunks.append(b)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.WEXITSTATUS(status), b"".join(chunks).decode()

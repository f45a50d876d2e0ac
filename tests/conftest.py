"""Shared set-up of the tests under tests/.

A process inherits the signals its parent ignores: under `nohup make test &`, or `make test &`
in a script, SIGHUP and SIGINT reach no test's sweep or run, and the tests that stop one with
them (as a terminal's Ctrl-C or hang-up would) waited until their timeouts. Caught here by a
handler that does nothing (a caught signal is the default again in a program this process
starts), they reach those processes as they do from a terminal, while pytest itself goes on
ignoring them, as nohup or the `&` meant."""
import signal

for _sig in (signal.SIGINT, signal.SIGHUP):
    if signal.getsignal(_sig) == signal.SIG_IGN:
        signal.signal(_sig, lambda *_: None)

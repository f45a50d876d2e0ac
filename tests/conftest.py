"""Shared set-up of the tests under tests/.

A process inherits the signals its parent ignores: under `nohup make test &`, or `make test &`
in a script, SIGHUP and SIGINT reach no test's sweep or run, and the tests that stop one with
them (as a terminal's Ctrl-C or hang-up would) waited until their timeouts. Handled here
instead (a handled signal is the default again in a program this process starts), they reach
those processes as they do from a terminal, while this process keeps going as nohup meant."""
import signal

if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
if signal.getsignal(signal.SIGHUP) == signal.SIG_IGN:
    signal.signal(signal.SIGHUP, lambda *_: None)

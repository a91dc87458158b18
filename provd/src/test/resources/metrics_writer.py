# A stand-in for a training script: prints METRIC lines and chatter to stdout, one pair per step,
# writes its pid to argv[1] first, prints a METRIC line when it gets SIGUSR1, exits with 7.
import os
import signal
import sys
import time

pidfile, steps, delay = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
got = []
signal.signal(signal.SIGUSR1, lambda s, f: got.append(s))
with open(pidfile + ".tmp", "w") as f:
    f.write(str(os.getpid()))
os.rename(pidfile + ".tmp", pidfile)
for i in range(steps):
    while got:
        got.pop()
        print("METRIC signal=USR1", flush=True)
    print(f"METRIC step={i} loss={1000 // (i + 1)}", flush=True)
    print(f"chatter {i}", flush=True)
    time.sleep(delay)
sys.exit(7)

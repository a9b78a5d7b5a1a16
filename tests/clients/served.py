"""`ecs-daemon-sim serve` for one test, and the environment that points real AWS clients at it.

The binary is `$ECS_DAEMON_SIM_BIN` (the test command sets it), else the debug build. Any access
key is accepted by the endpoint, so fixed example credentials keep the user's own out of the run.
"""

import json
import os
import pathlib
import subprocess
import tempfile
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = os.environ.get("ECS_DAEMON_SIM_BIN", str(ROOT / "target" / "debug" / "ecs-daemon-sim"))


class Server:
    """A served account on a free port, stopped when the `with` block ends."""

    def __init__(self, *args):
        self.process = subprocess.Popen(
            [BINARY, "serve", "--port", "0", *args], stdout=subprocess.PIPE, text=True
        )
        first = self.process.stdout.readline()
        if "http://" not in first:
            self.process.kill()
            raise RuntimeError(f"serve did not start: {first!r}")
        self.url = "http://" + first.split("http://", 1)[1].split()[0]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.kill()
        self.process.wait()
        self.process.stdout.close()

    def control(self, method, path, body=None):
        """A `/_sim/` request; the JSON answer."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    def env(self, speed=None):
        """The environment of an `aws` command aimed at this server, with no user configuration.
        With `speed`, `sleep N` sleeps N simulated seconds (N / speed wall seconds), as a script
        written for AWS means it."""
        env = dict(os.environ)
        for name in list(env):
            if name.startswith("AWS_"):
                del env[name]
        env.update(
            AWS_ENDPOINT_URL=self.url,
            AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
            AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            AWS_DEFAULT_REGION="us-east-1",
            AWS_CONFIG_FILE=os.devnull,
            AWS_SHARED_CREDENTIALS_FILE=os.devnull,
            AWS_PAGER="",
        )
        if speed:
            shim = tempfile.mkdtemp(prefix="simulated-sleep-")
            path = os.path.join(shim, "sleep")
            with open(path, "w") as script:
                script.write(
                    "#!/bin/sh\n# sleep N simulated seconds: N / speed wall seconds\n"
                    f'exec /bin/sleep "$(awk -v s="${{1%s}}" \'BEGIN {{ print s / {speed} }}\')"\n'
                )
            os.chmod(path, 0o755)
            env["PATH"] = shim + os.pathsep + env["PATH"]
        return env

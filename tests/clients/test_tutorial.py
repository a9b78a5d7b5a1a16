"""Seed 002's tutorial (tests/fixtures/tutorial.sh: the article's commands with its placeholders
filled) run by the real AWS CLI, as bash, against `ecs-daemon-sim serve --speed 60`.

The script is cut at its own comment lines and otherwise run as written. Setup and cleanup run on
the live clock (60 simulated seconds per wall second; `sleep` sleeps simulated seconds). For the
rolling deployment the test pauses the clock and plays the article's "monitoring at 30-second
intervals" (every 10 s here: see SAMPLE_SECONDS): the three monitoring commands, then 10 simulated seconds, until the deployment ends —
so every sample is taken at an exact simulated time, whatever the machine's speed.
"""

import datetime
import json
import subprocess
import unittest

from served import ROOT, Server

SPEED = 60
# The article samples every 30 s and caught the new instance REGISTERING; that state lasts less
# than 30 s, so a 30-s sampler can step over it. Sampling 3× as often keeps it in view.
SAMPLE_SECONDS = 10
SCRIPT = (ROOT / "tests" / "fixtures" / "tutorial.sh").read_text()
CUTS = ["# Switch image", "# Deployment status", "# The deployment's ARN", "# Cleanup"]


def sections():
    """setup, update, monitor, details, cleanup: the script cut before each of CUTS."""
    parts, rest = [], SCRIPT
    for cut in CUTS:
        before, found, after = rest.partition("\n" + cut)
        assert found, f"the tutorial has no line {cut!r}"
        parts.append(before)
        rest = cut + after
    return parts + [rest]


def bash(text, env):
    """Runs a part of the script with errexit: every command must succeed, and say nothing on stderr."""
    done = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", text], env=env, capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0 or done.stderr.strip():
        raise AssertionError(f"exit {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}")
    return done.stdout


def timestamp(text):
    """A timestamp as the CLI prints it: AWS CLI v1 prints the wire's epoch seconds, v2 ISO 8601."""
    try:
        return datetime.datetime.fromtimestamp(float(text), datetime.timezone.utc)
    except ValueError:
        return datetime.datetime.fromisoformat(text)


def table_rows(text):
    """The data rows of the CLI's `--output table`: cells of lines that have two or more."""
    rows = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 2:
            rows.append(cells)
    return rows


class Tutorial(unittest.TestCase):
    def test_the_aws_cli_runs_the_tutorial_as_written(self):
        setup, update, monitor, details, cleanup = sections()
        with Server("--speed", str(SPEED), "--seed", "2") as server:
            env = server.env(speed=SPEED)

            # Startup order: the daemon RUNNING 18-21 s before the app on the same instance.
            started = {}
            for cells in table_rows(bash(setup, env)):
                if cells[0].startswith(("daemon:", "service:")):
                    started[cells[0]] = timestamp(cells[1])
            self.assertEqual(set(started), {"daemon:monitoring-agent", "service:app-svc"}, started)
            lead = (started["service:app-svc"] - started["daemon:monitoring-agent"]).total_seconds()
            self.assertTrue(18 <= lead <= 21, f"the daemon started {lead} s ahead of the app")

            server.control("POST", "/_sim/pause")
            bash(update, env)
            samples = []
            for _ in range(120):
                lines = bash(monitor, env).splitlines()
                status, running = lines[0].strip(), int(lines[1])
                instances = sorted(
                    (cells[1], int(cells[2]))
                    for cells in table_rows("\n".join(lines[2:]))
                    if cells[0].startswith("i-")
                )
                samples.append((status, running, instances))
                if status not in ("PENDING", "IN_PROGRESS"):
                    break
                server.control("POST", "/_sim/advance", {"seconds": SAMPLE_SECONDS})
            self.check_monitoring(samples)

            deployment = json.loads(bash(details, env))["daemonDeployments"][0]
            self.assertEqual(deployment["status"], "SUCCESSFUL")
            self.assertEqual(
                deployment["circuitBreaker"], {"failureCount": 0, "status": "MONITORING_COMPLETE", "threshold": 3}
            )
            self.assertEqual(deployment["deploymentConfiguration"]["drainPercent"], 25.0)
            self.assertEqual(deployment["deploymentConfiguration"]["bakeTimeInMinutes"], 0)

            server.control("POST", "/_sim/resume")
            bash(cleanup, env)
            clusters = json.loads(bash("aws ecs list-clusters", server.env()))
            self.assertEqual(clusters["clusterArns"], [], "the cleanup deleted the cluster")

    def check_monitoring(self, samples):
        """The states of the article's table, in its order: the old instance ACTIVE then
        DRAINING with the app still running, a new one REGISTERING with the daemon only, the app
        on both (running 2), the old one DEREGISTERING, SUCCESSFUL on one ACTIVE instance with 2 tasks."""
        story = "\n".join(map(str, samples))
        statuses = [s for s, _, _ in samples]
        self.assertEqual(statuses[-1], "SUCCESSFUL", story)
        self.assertTrue(all(s == "IN_PROGRESS" for s in statuses[1:-1]), story)

        def first(predicate):
            found = [i for i, sample in enumerate(samples) if predicate(*sample)]
            self.assertTrue(found, story)
            return found[0]

        states = lambda instances: [state for state, _ in instances]
        draining = first(lambda s, r, i: "DRAINING" in states(i) and r == 1)
        registering = first(lambda s, r, i: ("REGISTERING", 1) in i and "DRAINING" in states(i))
        doubled = first(lambda s, r, i: r == 2 and "DRAINING" in states(i) and "ACTIVE" in states(i))
        deregistering = first(lambda s, r, i: "DEREGISTERING" in states(i) and "ACTIVE" in states(i))
        self.assertLess(draining, registering, story)
        self.assertLess(registering, doubled, story)
        self.assertLess(doubled, deregistering, story)
        self.assertTrue(all(r >= 1 for _, r, _ in samples), "the app never stopped: " + story)
        self.assertEqual(samples[-1][1:], (1, [("ACTIVE", 2)]), story)


if __name__ == "__main__":
    unittest.main()

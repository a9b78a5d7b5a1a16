set -euo pipefail
for i in 1 2 3; do
  aws ecs list-daemon-deployments --daemon-arn $DAEMON_ARN --query 'daemonDeployments[0].status' --output text
  sleep 30
done
i=0; while [ $i -lt 3 ]; do i=$((i + 1)); done; until (( i == 0 )); do (( i-- )); done
case ${STATUS:-PENDING} in SUCC*) echo done ;; PEND*|IN_*) echo wait ;& *) echo any ;; esac
f() { local a=${1#arn:}; echo "${a%%/*}" "${#a}" "${a/:/-}" "${a//:/ }" "${a:0:3}"; return 2; }
f arn:aws:ecs:x/y || echo "st=$?"
if [[ $i == 0 && -n "x" ]]; then echo zero; elif [ -z "" ]; then :; else false; fi

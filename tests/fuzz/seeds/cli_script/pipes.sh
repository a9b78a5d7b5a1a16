cat > td.json <<EOF
{"family": "$FAMILY", "cpu": "256"}
EOF
printf '%s\n' a b c | while read -r x; do echo "<$x>"; done 2>&1 > out.txt
aws ecs list-tasks --cluster daemon-test --query 'taskArns' --output text | xargs -n1 aws ecs stop-task --cluster daemon-test --task
read -r a b <<< "one two"; echo `echo $a` $(echo $b) >> out.txt 2>/dev/null
{ echo x; echo y >&2; } &> both.txt; ( exit 3 ); echo $?
while IFS= read -r line; do echo "[$line]"; done <<-'END'
	literal $x
	END

X=1
echo "$X ${X}" $(aws sts get-caller-identity --query Account --output text)
sleep 5

# A gang member (run through sh -c on its agent; every member runs it at the same time):
#   bin/tandem gang run --master http://127.0.0.1:5050 --size 4 --cpus 0.1 --mem 32 -- "$(cat frameworks/examples/gang-hello.sh)"
# Each member learns its rank, the gang's size and every member's host:port, and checks it can see itself there.
me="$TANDEM_GANG_RANK"
echo "member $me of $TANDEM_GANG_SIZE, port $PORT0, peers: $TANDEM_GANG_MEMBERS"
mine=$(echo "$TANDEM_GANG_MEMBERS" | tr ',' '\n' | sed -n "$((me + 1))p")
case "$mine" in
  *":$PORT0") echo "member $me found itself in the list: $mine" ;;
  *) echo "member $me is not at place $me of the list (got '$mine')" >&2; exit 1 ;;
esac
sleep 2

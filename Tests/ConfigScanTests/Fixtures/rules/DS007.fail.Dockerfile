# expect: 3
FROM alpine:3.19
ENTRYPOINT ["/bin/a"]
ENTRYPOINT ["/bin/b"]

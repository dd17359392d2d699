# expect: 3
FROM alpine:3.19
HEALTHCHECK CMD wget -qO- http://127.0.0.1/ || exit 1
HEALTHCHECK --interval=5s CMD ["/bin/check"]

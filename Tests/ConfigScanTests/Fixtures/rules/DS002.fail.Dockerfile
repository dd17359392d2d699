# expect: 4
FROM alpine:3.19
USER app
USER root:root

# passes DS022
FROM alpine:3.19
LABEL maintainer=ops@example.com

# passes DS009
FROM alpine:3.19
WORKDIR /app
ARG DIR=/srv
WORKDIR $DIR/data

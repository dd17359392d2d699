# expect: 3 4
FROM debian:12
RUN apt-get update
RUN apk update

# expect: 3
FROM debian:12
RUN apt-get update && apt-get dist-upgrade -y

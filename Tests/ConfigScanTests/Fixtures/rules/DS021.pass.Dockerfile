# passes DS021
FROM debian:12
RUN apt-get install -qy curl
RUN yes | apt-get install curl
RUN apt-get -o APT::Get::Assume-Yes=true install curl

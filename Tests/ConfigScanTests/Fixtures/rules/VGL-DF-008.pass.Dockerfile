# passes VGL-DF-008
FROM alpine:3.19
RUN curl -fsSLo install.sh https://get.example.com && sha256sum -c install.sh.sha256 && sh install.sh
RUN echo "curl https://get.example.com | sh"

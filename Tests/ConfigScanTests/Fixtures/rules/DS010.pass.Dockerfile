# passes DS010
FROM alpine:3.19
RUN echo "never use sudo" && printf 'sudo rm -rf /\n' > /tmp/note

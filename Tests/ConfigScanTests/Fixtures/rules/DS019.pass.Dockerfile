# passes DS019
FROM fedora:40
RUN dnf install -y httpd && dnf clean all

# passes DS015
FROM centos:7
RUN yum install -y httpd && yum clean all

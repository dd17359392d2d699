# expect: 3
FROM centos:7
RUN yum install httpd && yum clean all

#!/bin/sh
echo "hello from a container"

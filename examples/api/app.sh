#!/bin/sh
# The sample's "app": prints its greeting and version.
echo "$(cat /app/greeting.txt) (version $(cat /app/VERSION))"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The panic boot's guest side: the stack is loaded (init.sh), now crash.
echo "init: triggering a panic through sysrq"
echo c >/proc/sysrq-trigger

@echo off
rem Starts the worker release.
call "%~dp0\worker" start

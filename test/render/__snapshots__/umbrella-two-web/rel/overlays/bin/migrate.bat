@echo off
rem Runs the database migrations of the acme release without Mix.
call "%~dp0\acme" eval Acme.Core.Release.migrate

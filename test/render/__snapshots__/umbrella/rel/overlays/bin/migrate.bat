@echo off
rem Runs the database migrations of the hub release without Mix.
call "%~dp0\hub" eval Hub.Release.migrate

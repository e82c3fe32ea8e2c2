@echo off
rem Runs the database migrations of the my_app release without Mix.
call "%~dp0\my_app" eval MyApp.Release.migrate

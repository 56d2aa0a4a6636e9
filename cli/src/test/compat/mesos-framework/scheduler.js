"use strict";
/*
 * A Mesos framework written the way mesos-framework's README shows a user writing one: a Scheduler
 * with a "tasks" map, started on "ready", watched through its events. Nothing here knows about
 * Tandem; the library is used unmodified.
 *
 *   node scheduler.js <master host:port> [instances] [timeout seconds]
 *
 * Launches <instances> command tasks of "echo hello" (0.1 cpus, 32 MB, one port) from offers, prints every status update and
 * exits 0 once all are TASK_FINISHED (after a TEARDOWN). Exits 1 with a message on a failed task,
 * on any error the library reports, or when the timeout passes first.
 */
var fs = require("fs");
var path = require("path");
var Scheduler = require("mesos-framework").Scheduler;
var Mesos = require("mesos-framework").Mesos.getMesos();

var master = process.argv[2];
var instances = parseInt(process.argv[3] || "3", 10);
var timeoutSeconds = parseInt(process.argv[4] || "90", 10);
if (!master || !/^[^:]+:\d+$/.test(master)) {
    console.error("usage: node scheduler.js <master host:port> [instances] [timeout seconds]");
    process.exit(2);
}

// The library's file logger writes into <logging.path>, which must exist (it fails with ENOENT otherwise).
var logDir = path.join(__dirname, "logs");
fs.mkdirSync(logDir, { recursive: true });

// Any other state (TASK_FAILED, TASK_ERROR, TASK_LOST, TASK_KILLED, TASK_DROPPED, ...) fails the run.
var ON_THE_WAY = ["TASK_STAGING", "TASK_STARTING", "TASK_RUNNING"];
var finished = {};
var done = false;

var scheduler = new Scheduler({
    "masterUrl": master.split(":")[0],
    "port": parseInt(master.split(":")[1], 10),
    "frameworkName": "tandem-compat-mesos-framework",
    // The library's default (10s) is shorter than Mesos's default heartbeat interval (15s), so an
    // idle but healthy stream would look dead to it.
    "masterConnectionTimeout": 30,
    "logging": {
        "path": logDir,
        "fileName": "mesos-framework.log",
        "level": "info"
    },
    // No restarts: a failed task is a failed run here, not something to retry.
    "restartStates": [],
    "tasks": {
        "hello": {
            "priority": 1,
            "instances": instances,
            "commandInfo": new Mesos.CommandInfo(
                null, // URI
                null, // Environment
                true, // Is shell?
                "echo hello", // Command
                null, // Arguments
                null // User
            ),
            // One port each, as in the README's example: it makes the library read port ranges.
            "resources": {
                "cpus": 0.1,
                "mem": 32,
                "ports": 1,
                "disk": 0
            }
        }
    }
});

function finish(code, message) {
    if (done) {
        return;
    }
    done = true;
    console.log(message);
    if (!scheduler.frameworkId) {
        process.exit(code);
    }
    // The README's way to stop a framework: TEARDOWN, then exit once it was sent (or could not be).
    scheduler.once("sent_teardown", function () {
        console.log("TEARDOWN accepted");
        process.exit(code);
    });
    scheduler.teardown();
    setTimeout(function () {
        console.log("TEARDOWN not accepted within 10s");
        process.exit(code === 0 ? 1 : code);
    }, 10000).unref();
}

scheduler.on("subscribed", function (obj) {
    console.log("SUBSCRIBED framework " + obj.frameworkId + " stream " + obj.mesosStreamId);
});

scheduler.on("offers", function (offers) {
    console.log("OFFERS " + offers.offers.length);
    offers.offers.forEach(function (offer) {
        // The library copies url.address.ip into each task's HOST variable; Mesos always sets it.
        if (!offer.url || !offer.url.address || !offer.url.address.ip) {
            finish(1, "FAILED: offer " + offer.id.value + " has no url.address.ip: " + JSON.stringify(offer.url));
        }
    });
});

scheduler.on("update", function (update) {
    var status = update.status;
    console.log("UPDATE " + status.task_id.value + " " + status.state
        + (status.message ? " (" + status.message + ")" : ""));
    if (status.state === "TASK_FINISHED") {
        finished[status.task_id.value] = true;
        if (Object.keys(finished).length === instances) {
            finish(0, "ALL " + instances + " TASKS FINISHED");
        }
    } else if (ON_THE_WAY.indexOf(status.state) === -1) {
        finish(1, "FAILED: task " + status.task_id.value + " ended " + status.state
            + (status.reason ? " " + status.reason : "") + (status.message ? ": " + status.message : ""));
    }
});

scheduler.on("error", function (error) {
    var message = error && error.message ? error.message : JSON.stringify(error);
    if (done) {
        // The master closes the event stream after TEARDOWN; the library reports that as an error.
        console.log("after teardown: " + message);
        return;
    }
    console.error("ERROR: " + message);
    if (error && error.stack) {
        console.error(error.stack);
    }
    finish(1, "FAILED: the library reported an error: " + message);
});

scheduler.on("ready", function () {
    scheduler.subscribe();
});

setTimeout(function () {
    finish(1, "FAILED: timed out after " + timeoutSeconds + "s with " + Object.keys(finished).length
        + " of " + instances + " tasks finished");
}, timeoutSeconds * 1000);

/*
 * Godt på vej: the portal's only script, loaded with `defer` after htmx and DKFDS.
 * Everything here is progressive enhancement; every page works without it.
 *
 *  - sets up the DKFDS components (menu drawer, accordions, error summary …), and again for
 *    content htmx swaps in;
 *  - data-confirm="Question?" on a <form>, a submit button or a link asks before going on;
 *  - a failed htmx request shows the error alert from <template id="htmx-error-template">.
 */
(function () {
    "use strict";

    var DKFDS = window.DKFDS;

    /* Elements matching `selector` in `scope`, including `scope` itself. */
    function within(scope, selector) {
        var found = Array.prototype.slice.call(scope.querySelectorAll(selector));
        if (scope.matches && scope.matches(selector)) {
            found.unshift(scope);
        }
        return found;
    }

    function each(scope, selector, setUp) {
        within(scope, selector).forEach(function (element) {
            try {
                setUp(element);
            } catch (error) {
                // One broken widget must not stop the others.
                if (window.console) {
                    window.console.error(error);
                }
            }
        });
    }

    /*
     * DKFDS.init() also sets up the page-wide header navigation, which must happen only once, so
     * swapped-in content gets the component constructors one by one (the same list as init()).
     */
    function initFragment(scope) {
        each(scope, ".accordion, .accordion-bordered:not(.accordion)", function (el) {
            new DKFDS.Accordion(el).init();
        });
        each(scope, ".alert.has-close", function (el) {
            new DKFDS.Alert(el).init();
        });
        each(scope, ".form-limit", function (el) {
            new DKFDS.CharacterLimit(el).init();
        });
        each(scope, ".js-checkbox-toggle-content", function (el) {
            new DKFDS.CheckboxToggleContent(el).init();
        });
        each(scope, ".js-dropdown", function (el) {
            new DKFDS.Dropdown(el).init();
        });
        each(scope, ".js-radio-toggle-group", function (el) {
            new DKFDS.RadioToggleGroup(el).init();
        });
        each(scope, ".fds-modal", function (el) {
            new DKFDS.Modal(el).init();
        });
        each(
            scope,
            "table.table--responsive-headers, table.table-sm-responsive-headers, " +
                "table.table-md-responsive-headers, table.table-lg-responsive-headers",
            function (el) {
                new DKFDS.ResponsiveTable(el);
            }
        );
        each(scope, "table.table--selectable", function (el) {
            new DKFDS.TableSelectableRows(el).init();
        });
        each(scope, "div.tab-container", function (el) {
            new DKFDS.Tabs(el).init();
        });
        each(scope, ".tooltip-wrapper", function (el) {
            new DKFDS.Tooltip(el).init();
        });
        if (DKFDS.datePicker && scope.querySelector) {
            DKFDS.datePicker.on(scope);
        }
        // A form re-rendered with errors: move focus to its error summary.
        var summary = within(scope, '[data-module="error-summary"]')[0];
        if (summary) {
            new DKFDS.ErrorSummary(summary).init();
        }
    }

    function initMenuDrawer() {
        var drawer = document.getElementById("mobile-menu");
        if (!drawer) {
            return;
        }
        // Only with JavaScript is the menu a drawer; without it, it is part of the page.
        drawer.setAttribute("role", "dialog");
        drawer.setAttribute("aria-modal", "true");
        drawer.setAttribute("aria-labelledby", "menu-heading");
    }

    /* --- Confirm dialogs ------------------------------------------------------------------- */

    // Capture phase, so a refusal stops the event before htmx or the browser acts on it.
    document.addEventListener(
        "submit",
        function (event) {
            var form = event.target;
            var submitter = event.submitter;
            var message =
                (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
            if (message && !window.confirm(message)) {
                event.preventDefault();
                event.stopPropagation();
            }
        },
        true
    );

    document.addEventListener(
        "click",
        function (event) {
            var link = event.target.closest && event.target.closest("a[data-confirm]");
            if (link && !window.confirm(link.getAttribute("data-confirm"))) {
                event.preventDefault();
                event.stopPropagation();
            }
        },
        true
    );

    /* --- htmx ------------------------------------------------------------------------------ */

    function showRequestError() {
        var template = document.getElementById("htmx-error-template");
        var region = document.getElementById("messages");
        if (!template || !region || region.querySelector("[data-htmx-error]")) {
            return;
        }
        region.appendChild(template.content.cloneNode(true));
    }

    document.addEventListener("htmx:responseError", showRequestError);
    document.addEventListener("htmx:sendError", showRequestError);

    /* --- Start ----------------------------------------------------------------------------- */

    if (DKFDS) {
        initMenuDrawer();
        DKFDS.init();
        if (window.htmx) {
            window.htmx.onLoad(function (element) {
                // htmx also reports the initial page as "loaded"; DKFDS.init() covered that.
                if (element !== document.body) {
                    initFragment(element);
                }
            });
        }
    }
})();

/** How Vigil signs what it sends to webhooks, so receivers can check it: one scheme for every webhook it calls. */
package dev.vigil.webhook;

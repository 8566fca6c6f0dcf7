/* The loaded image is what was built: the first C code, with the MMU off,
 * checksummed it (setup.c) against the value embedded at build time
 * (scripts/embed-checksum). On a loader that did not clean the image to
 * the PoC, the MMU-off reads would see stale memory and this fails. */
#include <libcflat.h>

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	report_prefix_push("image-integrity");
	const struct image_integrity *ii = &image_integrity;
	if (!ii->covered) {
		report_skip("no checksum embedded in this image");
		return report_summary();
	}
	report_info("%lu bytes checked, expected 0x%016lx, computed 0x%016lx",
		    ii->covered - 0x40, ii->expected, ii->computed);
	report(ii->computed == ii->expected, "image checksum with the MMU off matches the build");
	return report_summary();
}
